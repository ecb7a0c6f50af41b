// Renders the chat templates under rlaifv-djl/src/test/resources/hf-tokenizers/ with the JavaScript
// port of transformers (@huggingface/transformers and its Jinja engine @huggingface/jinja), tokenizes
// the rendered prompts and a few plain strings, and writes the goldens the Java parity tests read:
//   rlaifv-core/src/test/resources/golden/chat/<model>.json        (rendered strings)
//   rlaifv-djl/src/test/resources/golden/tokenizers/<model>.json   (token ids)
//
// Regenerate (from the repository root):
//   cd reference && npm ci --ignore-scripts && node chat_template_golden.mjs
// (node llava_tokenizer_fixture.mjs first when the LLaVA-1.5 tokenizer fixture is to be rebuilt.)
// Second opinion with Python's jinja2 configured as transformers configures it:
//   /usr/bin/python3 reference/chat_template_golden.py
import { AutoTokenizer, env } from '@huggingface/transformers';
import { Template } from '@huggingface/jinja';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURES = path.join(ROOT, 'rlaifv-djl/src/test/resources/hf-tokenizers');
const CHAT_OUT = path.join(ROOT, 'rlaifv-core/src/test/resources/golden/chat');
const TOK_OUT = path.join(ROOT, 'rlaifv-djl/src/test/resources/golden/tokenizers');

env.allowRemoteModels = false;

// The special tokens transformers hands to a template (the tokenizer's special_tokens_map), as
// read from tokenizer_config.json: a string, or an AddedToken object whose "content" is the token.
const SPECIAL = ['bos_token', 'eos_token', 'unk_token', 'pad_token'];
function specialTokens(config) {
  const out = {};
  for (const key of SPECIAL) {
    const v = config[key];
    if (typeof v === 'string') out[key] = v;
    else if (v && typeof v === 'object' && typeof v.content === 'string') out[key] = v.content;
  }
  return out;
}

// The template a model directory uses, in the order transformers' processor and tokenizer apply:
// chat_template.json (processor, legacy file), chat_template.jinja, tokenizer_config.json's field.
function findTemplate(dir, config) {
  const json = path.join(dir, 'chat_template.json');
  if (fs.existsSync(json)) return { file: 'chat_template.json', text: JSON.parse(fs.readFileSync(json, 'utf8')).chat_template };
  const jinja = path.join(dir, 'chat_template.jinja');
  if (fs.existsSync(jinja)) return { file: 'chat_template.jinja', text: fs.readFileSync(jinja, 'utf8') };
  const t = config.chat_template;
  if (typeof t === 'string') return { file: 'tokenizer_config.json', text: t };
  if (Array.isArray(t)) return { file: 'tokenizer_config.json', text: t.find((x) => x.name === 'default').template };
  return null;
}

const IMAGE_QUESTION = 'Is there a red circle in the image?';
const VISION_CASES = [
  { id: 'image_text_generation_prompt', add_generation_prompt: true, messages: [
    { role: 'user', content: [{ type: 'image' }, { type: 'text', text: IMAGE_QUESTION }] }] },
  { id: 'system_user_assistant_user', add_generation_prompt: true, messages: [
    { role: 'system', content: [{ type: 'text', text: 'You are a careful visual assistant.' }] },
    { role: 'user', content: [{ type: 'image' }, { type: 'text', text: 'What shapes are there?' }] },
    { role: 'assistant', content: [{ type: 'text', text: 'A red circle and a blue square.' }] },
    { role: 'user', content: [{ type: 'text', text: 'Is the circle left of the square?' }] }] },
  { id: 'text_only', add_generation_prompt: true, messages: [
    { role: 'user', content: [{ type: 'text', text: 'Name a colour, ünïcödé and "quotes" included.' }] }] },
  { id: 'no_generation_prompt', add_generation_prompt: false, messages: [
    { role: 'user', content: [{ type: 'image' }, { type: 'text', text: 'Describe the image.' }] },
    { role: 'assistant', content: [{ type: 'text', text: 'Two shapes on a white background.' }] }] },
];
const TEXT_CASES = [
  { id: 'user_generation_prompt', add_generation_prompt: true, messages: [
    { role: 'user', content: IMAGE_QUESTION }] },
  { id: 'system_user_assistant_user', add_generation_prompt: true, messages: [
    { role: 'system', content: 'You are a careful visual assistant.' },
    { role: 'user', content: 'What shapes are there?' },
    { role: 'assistant', content: '  A red circle and a blue square.  ' },
    { role: 'user', content: 'Is the circle left of the square?' }] },
  { id: 'text_only_unicode', add_generation_prompt: true, messages: [
    { role: 'user', content: 'Name a colour, ünïcödé and "quotes" included.\nSecond line.' }] },
  { id: 'no_generation_prompt', add_generation_prompt: false, messages: [
    { role: 'user', content: 'Describe the image.' },
    { role: 'assistant', content: 'Two shapes on a white background.' }] },
];

const MODELS = [
  { name: 'llava-1.5', cases: VISION_CASES },
  { name: 'llava-onevision-qwen', cases: VISION_CASES },
  { name: 'qwen2.5', cases: TEXT_CASES },
  { name: 'llama-3', cases: TEXT_CASES },
  { name: 'mistral', cases: TEXT_CASES },
];

const ANSWER_WORDS = ['Yes', 'yes', ' Yes', ' yes'];
const PLAIN_TEXTS = [
  'Is there a red circle in the image?',
  ' leading space and  double  spaces',
  'ünïcödé, emoji 🙂 and tabs\tand\nnewlines',
  '<s>[INST] special-looking text [/INST]</s>',
  '<|im_start|>user\nhello<|im_end|>',
];

function write(file, value) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(value, null, 1) + '\n');
}

async function loadTokenizer(dir) {
  const gz = path.join(dir, 'tokenizer.json.gz');
  if (!fs.existsSync(gz)) return null;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-tok-'));
  const name = path.basename(dir);
  fs.mkdirSync(path.join(tmp, name));
  fs.writeFileSync(path.join(tmp, name, 'tokenizer.json'), zlib.gunzipSync(fs.readFileSync(gz)));
  fs.copyFileSync(path.join(dir, 'tokenizer_config.json'), path.join(tmp, name, 'tokenizer_config.json'));
  env.localModelPath = tmp + '/';
  return AutoTokenizer.from_pretrained(name);
}

const ids = (tok, text, special) => Array.from(tok.encode(text, { add_special_tokens: special }));

// encodePrompt: special tokens unless the rendered prompt already starts with the BOS string, as
// ProcessorMixin.apply_chat_template(tokenize=True) decides.
function promptIds(tok, text, bos) {
  return ids(tok, text, !(bos && text.startsWith(bos)));
}

function firstAnswerIds(tok, prompt, bos) {
  const base = promptIds(tok, prompt, bos);
  const out = [];
  for (const w of ANSWER_WORDS) {
    const full = promptIds(tok, prompt + w, bos);
    let i = 0;
    while (i < base.length && i < full.length && base[i] === full[i]) i++;
    if (i < full.length && !out.includes(full[i])) out.push(full[i]);
  }
  return out;
}

for (const model of MODELS) {
  const dir = path.join(FIXTURES, model.name);
  const config = JSON.parse(fs.readFileSync(path.join(dir, 'tokenizer_config.json'), 'utf8'));
  const special = specialTokens(config);
  const found = findTemplate(dir, config);
  const template = new Template(found.text);
  const tok = await loadTokenizer(dir);
  const cases = [];
  for (const c of model.cases) {
    const rendered = template.render({ messages: c.messages, add_generation_prompt: c.add_generation_prompt,
      tools: null, documents: null, ...special });
    if (tok && found.file === 'tokenizer_config.json') {
      // The tokenizer's own apply_chat_template must agree with the bare engine.
      const viaTokenizer = tok.apply_chat_template(c.messages, { tokenize: false, add_generation_prompt: c.add_generation_prompt });
      if (viaTokenizer !== rendered) throw new Error(`${model.name}/${c.id}: apply_chat_template differs`);
    }
    cases.push({ id: c.id, add_generation_prompt: c.add_generation_prompt, messages: c.messages, rendered });
  }
  write(path.join(CHAT_OUT, model.name + '.json'), {
    model: model.name, template_file: found.file, special_tokens: special,
    generator: 'reference/chat_template_golden.mjs (@huggingface/transformers 4.3.2, @huggingface/jinja 0.5.11)',
    cases,
  });
  if (!tok) continue;
  const texts = PLAIN_TEXTS.map((t) => ({ text: t, with_special_tokens: ids(tok, t, true), without_special_tokens: ids(tok, t, false) }));
  const longText = Array.from({ length: 300 }, (_, i) => `word${i % 17} and`).join(' ');
  const long = { text: longText, with_special_tokens: ids(tok, longText, true) };
  const prompts = cases.map((c) => ({ case: c.id, rendered: c.rendered,
    prompt_ids: promptIds(tok, c.rendered, special.bos_token),
    first_answer_ids: c.add_generation_prompt ? firstAnswerIds(tok, c.rendered, special.bos_token) : [] }));
  const decoded = texts.map((t) => ({ ids: t.with_special_tokens,
    skip_special_tokens: tok.decode(t.with_special_tokens, { skip_special_tokens: true }),
    keep_special_tokens: tok.decode(t.with_special_tokens, { skip_special_tokens: false }) }));
  write(path.join(TOK_OUT, model.name + '.json'), {
    model: model.name, generator: 'reference/chat_template_golden.mjs (@huggingface/transformers 4.3.2)',
    bos_token: special.bos_token ?? null, answer_words: ANSWER_WORDS, texts, long, prompts, decoded,
  });
  console.log(`${model.name}: ${cases.length} renders, ${tok ? 'ids written' : 'no tokenizer'}`);
}
