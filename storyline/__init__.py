"""storyline: follow one news story across many outlets.

The Python API is the product; the CLI and the web app are thin layers over it:
`storyline.run(paths, out=...)` does ingest, analysis, export and report in one call.
The API is imported lazily so that `storyline.records` stays cheap to import in workers.
"""

__version__ = "0.1.0"

__all__ = ["RunResult", "IngestResult", "analyse", "export_report", "ingest_paths", "run", "same_claim"]


def __getattr__(name: str):
    if name == "same_claim":
        from .compare.pairs import same_claim

        return same_claim
    if name in __all__:
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'storyline' has no attribute {name!r}")
