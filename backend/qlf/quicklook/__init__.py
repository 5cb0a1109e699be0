"""Quick Look science code: reading raw data, the processing steps, QA metrics and grading.

Pure numpy/astropy/scipy; nothing here imports Django.
"""
