"""The local stack: process supervision, MariaDB, Spark (runtime, cluster, Thrift server, the
Hive jar it needs), the TMDB stand-in's supervisor, the docs server and the SQL client."""
