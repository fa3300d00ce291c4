"""`make bench`: a large generated data set (`bench.generate`) and the measurements taken on it
(`bench.run`), reported in bench/results.md."""
