"""`python -m bench.generate`: make the data set of `make bench` (`bench.dataset`) in the
bench's database (`bench.database.choose_database`) and stop, as `python -m bench.run
--generate-only` does."""

from bench import run

if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(run.main(["--generate-only"]))
