"""Reviewers' files back in: reading reviewed .docx, anchoring, 意见处理 (issue 15, part B)."""
