/**
 * The queue worker that runs inside the worker image ({@link dev.deploykit.runpod.worker.WorkerMain}):
 * RunPod's serverless protocol as runpod-python 1.12 speaks it, forwarding each job to the local
 * Ollama. It uses only the JDK and Jackson. Not API.
 */
package dev.deploykit.runpod.worker;
