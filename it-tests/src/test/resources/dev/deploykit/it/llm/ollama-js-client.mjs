// Drives an Ollama server with the official JavaScript client (npm package "ollama") and prints
// what it saw as one JSON line. Run by OllamaJsClientIT with OLLAMA_URL and GGUF_PATH set.
import { Ollama } from 'ollama';
import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';

const host = process.env.OLLAMA_URL;
const ollama = new Ollama({ host });
const out = {};
const pick = (r) => ({
  response: r.response, done: r.done, done_reason: r.done_reason, eval_count: r.eval_count,
  prompt_eval_count: r.prompt_eval_count, eval_duration: r.eval_duration,
  prompt_eval_duration: r.prompt_eval_duration, total_duration: r.total_duration,
});

out.version = (await ollama.version()).version;
out.models = (await ollama.list()).models.map((m) => m.name);

const options = { seed: 42, temperature: 0, num_predict: 24 };
const prompt = 'Why is the sky blue?';
out.generate = [
  pick(await ollama.generate({ model: 'tiny', prompt, options })),
  pick(await ollama.generate({ model: 'tiny', prompt, options })),
];
const parts = [];
let last;
for await (const part of await ollama.generate({ model: 'tiny', prompt, options, stream: true })) {
  if (!part.done) parts.push(part.response);
  last = part;
}
out.generateStreamed = { text: parts.join(''), chunks: parts.length, last: pick(last) };

const messages = [{ role: 'user', content: 'Hello from JavaScript ✓' }];
const chatOptions = { seed: 1, temperature: 0, num_predict: 10 };
const chat = await ollama.chat({ model: 'tiny', messages, options: chatOptions });
out.chat = { role: chat.message.role, content: chat.message.content, done_reason: chat.done_reason, eval_count: chat.eval_count };
const chatParts = [];
for await (const part of await ollama.chat({ model: 'tiny', messages, options: chatOptions, stream: true })) {
  chatParts.push(part.message.content);
}
out.chatStreamed = chatParts.join('');

// Import a GGUF file the way the Ollama CLI does: upload the blob, then create from it.
const bytes = await readFile(process.env.GGUF_PATH);
const digest = 'sha256:' + createHash('sha256').update(bytes).digest('hex');
out.blobBefore = (await fetch(`${host}/api/blobs/${digest}`, { method: 'HEAD' })).status;
out.blobUpload = (await fetch(`${host}/api/blobs/${digest}`, { method: 'POST', body: bytes })).status;
out.create = (await ollama.create({ model: 'imported-js:v1', files: { 'model.gguf': digest } })).status;
out.modelsAfterCreate = (await ollama.list()).models.map((m) => m.name);
out.importedGenerate = pick(await ollama.generate({ model: 'imported-js:v1', prompt, options }));
out.show = (await ollama.show({ model: 'imported-js:v1' })).details;
out.pullPresent = (await ollama.pull({ model: 'imported-js:v1' })).status;
await ollama.delete({ model: 'imported-js:v1' });
out.modelsAfterDelete = (await ollama.list()).models.map((m) => m.name);

const failure = async (call) => {
  try {
    await call();
    return { error: null };
  } catch (e) {
    return { name: e.name, status: e.status_code ?? null, error: e.error ?? e.message };
  }
};
out.unknownModel = await failure(() => ollama.generate({ model: 'no-such-model', prompt: 'x' }));
out.pullMissing = await failure(() => ollama.pull({ model: 'llama3' }));
out.deleteMissing = await failure(() => ollama.delete({ model: 'imported-js:v1' }));
out.afterErrors = pick(await ollama.generate({ model: 'tiny', prompt: 'still there?', options: { num_predict: 3 } }));

console.log(JSON.stringify(out));
