"""spaCy's tokenizer, keeping on each Doc the text it was given (see ``extraction.pipeline.doc_text``).

Imported by ``extraction.pipeline`` when it builds the pipeline: this module imports spaCy.
"""

from __future__ import annotations

import re
from typing import Any

from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

from extraction.pipeline import (
    BOXES_EXTENSION,
    DICTATION_EXTENSION,
    EXPORT_ROW_EXTENSION,
    JOINS_EXTENSION,
    OCR_EXTENSION,
    TEXT_EXTENSION,
    bilingual_view,
    checkbox_view,
    comparison_view,
    dictation_view,
    export_row_view,
    form_code_view,
    hl7_view,
    hyphen_view,
    layout_view,
    line_end_view,
    mail_thread_view,
    ocr_view,
    sr_dump_view,
)

__all__ = ["TextKeepingTokenizer"]


def _line_breaks(text: str) -> list[int]:
    return [m.start() for m in re.finditer("\n", text)]


if not Doc.has_extension(TEXT_EXTENSION):
    Doc.set_extension(TEXT_EXTENSION, default=None)
if not Doc.has_extension(BOXES_EXTENSION):
    Doc.set_extension(BOXES_EXTENSION, default=None)
if not Doc.has_extension(JOINS_EXTENSION):
    Doc.set_extension(JOINS_EXTENSION, default=None)
if not Doc.has_extension(OCR_EXTENSION):
    Doc.set_extension(OCR_EXTENSION, default=None)
if not Doc.has_extension(EXPORT_ROW_EXTENSION):
    Doc.set_extension(EXPORT_ROW_EXTENSION, default=None)
if not Doc.has_extension(DICTATION_EXTENSION):
    Doc.set_extension(DICTATION_EXTENSION, default=None)


class TextKeepingTokenizer(Tokenizer):
    """spaCy's ``Tokenizer`` (same settings, same tokens) that keeps the text in ``doc._.ncreport_text``
    (a checkbox template's as its checked boxes state it: ``extraction.pipeline.checkbox_view``).

    spaCy's ``Doc.text`` joins the text of every token, a Token object each, every time it is read
    (~0.15 ms a report); the tokenizer is lossless, so the text it was given is that text.
    """

    def __call__(self, text: str) -> Doc:
        # a Windows or old Macintosh line ending reads as a line break (same offsets; extraction.pipeline.line_end_view)
        lines = line_end_view(text)
        # an HL7 v2 message reads as the key/value report its segments carry (same offsets; pipeline.hl7_view)
        lines = hl7_view(lines)
        # a delimited export's header and value row are read by column, not as prose (same offsets; the values are
        # kept on the Doc: extraction.pipeline.export_row_view)
        lines, row = export_row_view(lines)
        # the digits and letters that OCR confused are read as meant (same offsets; extraction.pipeline.ocr_view)
        text, repairs = ocr_view(lines)
        # a word hyphenated across a line break by a scanned page reads whole (same offsets; pipeline.hyphen_view)
        text, joined = hyphen_view(text)
        if joined:
            repairs = tuple(sorted((*repairs, *joined)))
        # an unpunctuated dictation reads with the marks its speaker said as words, a statement at each clause and its
        # header words as headers (same offsets; extraction.pipeline.dictation_view)
        text, spoken, clauses = dictation_view(text)
        if spoken:
            repairs = tuple(sorted((*repairs, *spoken)))
        # an export's dot leaders and bracketed titles are layout: tokens are made from the text with them plain
        # (same offsets; extraction.pipeline.layout_view)
        laid = layout_view(text)
        # the line breaks that layout_view read as a blank (a statement going on on the next line)
        joins = tuple(i for i in _line_breaks(lines) if laid[i] != "\n") if laid is not text and "\n" in lines else ()
        text = laid
        # a bilingual report's keys are read without their translation (same offsets; pipeline.bilingual_view)
        text = bilingual_view(text)
        # a comparison table is read by its current column (same offsets; extraction.pipeline.comparison_view)
        text = comparison_view(text)
        # a numbered form's item codes ("C1 Perfusion:") are read as blank space (same offsets; pipeline.form_code_view)
        text = form_code_view(text)
        # a report quoted in an e-mail thread is read without the thread around it (same offsets;
        # pipeline.mail_thread_view)
        text = mail_thread_view(text)
        # a dumped DICOM SR's depth marks and value types are read as blank space (same offsets; pipeline.sr_dump_view)
        text = sr_dump_view(text)
        doc = super().__call__(text)
        # a checkbox template is read as its checked boxes state it (same offsets; extraction.pipeline.checkbox_view)
        view, boxes = checkbox_view(text)
        setattr(doc._, TEXT_EXTENSION, view)
        if boxes:
            setattr(doc._, BOXES_EXTENSION, boxes)
        if repairs:
            setattr(doc._, OCR_EXTENSION, repairs)
        if joins:
            setattr(doc._, JOINS_EXTENSION, joins)
        if clauses:
            setattr(doc._, DICTATION_EXTENSION, clauses)
        if row:
            setattr(doc._, EXPORT_ROW_EXTENSION, row)
        return doc

    @classmethod
    def like(cls, tokenizer: Tokenizer, rules: dict[str, Any] | None = None) -> TextKeepingTokenizer:
        """A text-keeping tokenizer with the vocabulary and affix rules of ``tokenizer``, and its special
        cases (or ``rules`` instead)."""
        return cls(
            tokenizer.vocab,
            tokenizer.rules if rules is None else rules,
            tokenizer.prefix_search,
            tokenizer.suffix_search,
            tokenizer.infix_finditer,
            token_match=tokenizer.token_match,
            url_match=tokenizer.url_match,
            faster_heuristics=tokenizer.faster_heuristics,
        )
