"""Answers: from ranked passages to each source's answer and how the answers compare.

Question analysis, mentions and cues, answer extraction, yes/no stance, alignment of sentences
two sources print differently, citations, value normalisation and comparison. Works on
passages and articles given to it; never imports `index.ingest`.
"""
