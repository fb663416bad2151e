"""The bottom layer every other package builds on: the one settings object, user errors and exit codes, Vietnamese
text normalisation, dates, structured logs and console output. It imports nothing else of the project."""
