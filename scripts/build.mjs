// Compiles the TypeScript that the CLI runs into dist/, one JavaScript module per source module in
// the same layout (dist/app/cli/main.js from app/cli/main.ts), so `tether` starts without compiling
// anything (docs/architecture.md, "The compiled CLI").
//
//   npm run build          write dist/ and its stamp
//   npm run build:check    exit 1 unless dist/ is exactly what a fresh build writes (CI)
//
// Each module keeps its own imports: relative `.ts` imports become `.js`, packages stay external
// (rxjs, the MuJoCo WASM, ONNX Runtime's native binding load from node_modules as usual). A
// compiled module sees `import.meta.url` as the URL of its TypeScript source, so every path it
// computes from it (configs, models, the live page, ONNX files, firmware) resolves in the source
// tree, exactly as under tsx; only worker entry points are chosen by where the code really runs
// (src/runtime/entry-points.ts). The output depends only on the sources, tsconfig.json and this
// script (no dates, no absolute paths), so CI can rebuild and compare byte for byte.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { hashContent, hashContents, stampPath } from '../bin/build-stamp.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The layers the CLI and its workers load (bench/ and test/ run from source under tsx). */
const sourceRoots = ['src', 'sim', 'research', 'controllers', 'hardware', 'app'];
/** Inputs that shape the output besides the sources. */
const buildInputs = ['tsconfig.json', 'scripts/build.mjs', 'bin/build-stamp.mjs'];
const outRoot = 'dist';

const posix = (path) => path.split(sep).join('/');

function sourceFiles() {
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) files.push(path);
    }
  };
  for (const dir of sourceRoots) walk(dir);
  return files.sort();
}

/** Relative `.ts` imports become the compiled `.js` sibling; everything else stays as written. */
const oneModule = {
  name: 'one-module',
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      if (!args.path.startsWith('.')) return { path: args.path, external: true };
      if (!args.path.endsWith('.ts'))
        return { errors: [{ text: `only relative .ts imports can be compiled, not '${args.path}'` }] };
      return { path: `${args.path.slice(0, -3)}.js`, external: true };
    });
  },
};

/** The banner that gives a compiled module its source's import.meta.url (and dirname, filename). */
function sourceLocation(file, code) {
  const toSource = posix(relative(dirname(join(outRoot, file)), file));
  const lines = [`const __sourceUrl = new URL(${JSON.stringify(toSource)}, import.meta.url).href;`];
  const define = { 'import.meta.url': '__sourceUrl' };
  if (/import\.meta\.(dirname|filename)/.test(code)) {
    lines.unshift("import { fileURLToPath as __sourcePath } from 'node:url';");
    lines.push('const __sourceFilename = __sourcePath(__sourceUrl);');
    lines.push('const __sourceDirname = __sourcePath(new URL(".", __sourceUrl));');
    define['import.meta.filename'] = '__sourceFilename';
    define['import.meta.dirname'] = '__sourceDirname';
  }
  return { banner: lines.join('\n'), define };
}

/** Each input is read once: what is compiled is exactly what the stamp hashes. */
async function compile(file, content, tsconfig) {
  const code = content.toString('utf8');
  const header = `// Compiled from ${file} by \`npm run build\`: edit the source, not this file.`;
  const location = code.includes('import.meta') ? sourceLocation(file, code) : undefined;
  const result = await build({
    absWorkingDir: root,
    stdin: {
      contents: code,
      sourcefile: basename(file),
      resolveDir: join(root, dirname(file)),
      loader: 'ts',
    },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    charset: 'utf8',
    tsconfigRaw: tsconfig,
    plugins: [oneModule],
    define: location?.define ?? {},
    banner: { js: location ? `${header}\n${location.banner}` : header },
    logLevel: 'silent',
  });
  const warnings = result.warnings.filter((w) => !w.text.includes('will not be bundled'));
  for (const w of warnings) process.stderr.write(`build: ${file}: ${w.text}\n`);
  return { path: `${outRoot}/${file.slice(0, -3)}.js`, text: result.outputFiles[0].text };
}

async function buildAll() {
  const contents = new Map([...buildInputs, ...sourceFiles()].map((f) => [f, readFileSync(join(root, f))]));
  const tsconfig = contents.get('tsconfig.json').toString('utf8');
  const sources = [...contents.keys()].filter((f) => !buildInputs.includes(f));
  const outputs = await Promise.all(sources.map((f) => compile(f, contents.get(f), tsconfig)));
  const inputs = {};
  for (const [file, content] of contents) inputs[file] = hashContent(content);
  const stamp = {
    about:
      'the inputs dist/ was compiled from (npm run build); bin/tether.mjs uses dist/ only while they match',
    hash: hashContents(contents),
    inputs,
  };
  outputs.push({ path: stampPath, text: `${JSON.stringify(stamp, null, 2)}\n` });
  return outputs;
}

function filesUnder(dir) {
  const found = [];
  const walk = (d) => {
    let entries;
    try {
      entries = readdirSync(join(root, d), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = `${d}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else found.push(path);
    }
  };
  walk(dir);
  return found;
}

const outputs = await buildAll();
if (process.argv.includes('--check')) {
  const expected = new Map(outputs.map((o) => [o.path, o.text]));
  const differ = [];
  for (const [path, text] of expected) {
    let now;
    try {
      now = readFileSync(join(root, path), 'utf8');
    } catch {
      now = undefined;
    }
    if (now !== text) differ.push(now === undefined ? `${path} (missing)` : path);
  }
  for (const path of filesUnder(outRoot)) if (!expected.has(path)) differ.push(`${path} (not built)`);
  if (differ.length > 0) {
    process.stderr.write(
      `dist/ is not what the sources compile to (${differ.length} file${differ.length === 1 ? '' : 's'}: ${differ.slice(0, 5).join(', ')}${differ.length > 5 ? ', …' : ''}).\nRun \`npm run build\` and commit dist/.\n`,
    );
    process.exit(1);
  }
  process.stdout.write(`dist/: ${outputs.length - 1} modules, up to date with the sources\n`);
} else {
  // The stamp goes first and comes back last: a `tether` starting meanwhile runs the sources.
  rmSync(join(root, stampPath), { force: true });
  rmSync(join(root, outRoot), { recursive: true, force: true });
  for (const { path, text } of outputs.filter((o) => o.path !== stampPath)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  writeFileSync(join(root, stampPath), outputs.find((o) => o.path === stampPath).text);
  process.stdout.write(`dist/: ${outputs.length - 1} modules compiled from ${sourceRoots.join(', ')}\n`);
}
