"""The four ways an opinion is handled (意见处理), in their order on the 意见采纳情况表.

Kept apart from store.py so that the command line can offer them as choices without
importing the .docx reader and the exporter on every start.
"""

DISPOSITIONS = ("采纳", "部分采纳", "未采纳", "另行研究")
