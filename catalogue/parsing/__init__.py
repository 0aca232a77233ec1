"""The parser: a journal's documents in, plain records out. Plain Python, no Django.

A document passes these stages, one module (or a few) each; a module imports
only the stages listed above it, and records.py, which the stages fill:

1. sources      bytes to text: encodings, PDFs (pdf: the page read as a reader
                sees it, joining lines with text's joiner); refuses what is not
                a document
2. text         one text layer: look-alike letters, joining wrapped lines, the
                language of a string, running heads, lines with clean forms
3. labels       one vocabulary: abstract, keywords, references, dates, codes,
                author information, DOIs, in every spelling the documents use
4. names        people's names: bylines, author lists, name forms,
                transliteration, match keys, same-person rules
5. structure    toc (table of contents), header (journal and issue), article
                (one article's head and body), split (cutting an issue into
                articles), issue (an issue's articles matched to its contents)
6. display      display forms: titles, rubrics and series printed in capitals set in
                sentence case, each word in the case the document itself writes it
7. records      the dataclasses the writers in catalogue.ingest take

`document.parse_document` is the entry point for one document;
`json_export.parse_export` reads the catalogue's own JSON export into the
same records. A document the parser cannot read raises DocumentError; any
other exception is a defect in a stage, and the ingest refuses the document.
"""
