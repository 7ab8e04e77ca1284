"""The words of the domain, written once: people's names, titles and honours; UK dates,
working days and the clock; postcodes; text folding and decoding; the concern
categories; the desk's roles. Every stage imports these rather than keeping its own."""
