"""`make bench`: a large generated data set (`bench.dataset`) and the measurements taken on it
(`bench.measure`, `bench.measure_server`; the command `bench.run`), reported in bench/results.md."""
