"""Filings generated from a case (issue 13): the 公文 page layout, the shipped .docx
templates with their placeholders, the context each template is filled from, and
the renderer that picks an agency's own template over the shipped one."""
