#!/bin/sh
# Starts Ollama in the background, then the queue worker as PID 1's replacement, so that the
# platform's SIGTERM reaches the worker, which drains the job in hand before it exits. The worker
# runs on the image's own Java runtime, whatever the Ollama base carries.
set -eu
ollama serve &
exec /opt/deploykit-runpod/jre/bin/java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xmx${DEPLOYKIT_WORKER_HEAP:-128m} \
  -cp '/opt/deploykit-runpod/lib/*:/opt/deploykit-runpod/classes' \
  dev.deploykit.runpod.worker.WorkerMain serve "$@"
