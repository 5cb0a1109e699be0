"""The pipeline daemon: discovery, a persistent queue, camera jobs on executors, ingestion."""
