"""Project scripts: staging the browser runtime, serving a built site, benchmarking."""
