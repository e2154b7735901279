"""The application layer of tintuc: the CLI, the scheduler, the Datasette plugin, export and
the demo. It sits on top of ``crawler`` (the Scrapy project) and ``pipelines`` (the item
pipelines and the extraction and archive libraries); nothing below imports it."""
