// How the extension finds `inkslop lsp`: the setting first, then `inkslop` on PATH.
// Runs on the built out/serverCommand.js (npm run build), with the defaults of package.json.
const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const test = require("node:test");
const { findServer, ServerNotFound } = require("../../out/serverCommand.js");

const properties = require("../../package.json").contributes.configuration.properties;
const defaults = {
  path: properties["inkslop.server.path"].default,
  args: properties["inkslop.server.args"].default,
};

function fakeInkslop(name = "inkslop") {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "inkslop-bin-"));
  const file = path.join(directory, name);
  fs.writeFileSync(file, "#!/bin/sh\n");
  fs.chmodSync(file, 0o755);
  return { directory, file };
}

test("the defaults: no path set, the server started as `inkslop lsp`", () => {
  assert.equal(defaults.path, "");
  assert.deepEqual(defaults.args, ["lsp"]);
  assert.equal(properties["inkslop.trace.server"].default, "off");
});

test("with the defaults, `inkslop` is found on PATH", () => {
  const bin = fakeInkslop();
  const found = findServer(defaults, { PATH: `/nonexistent:${bin.directory}` }, undefined, "linux");
  assert.deepEqual(found, { command: bin.file, args: ["lsp"], source: "PATH" });
});

test("the setting comes before PATH", () => {
  const onPath = fakeInkslop();
  const configured = fakeInkslop("my-inkslop");
  const found = findServer({ ...defaults, path: configured.file }, { PATH: onPath.directory }, undefined, "linux");
  assert.equal(found.command, configured.file);
  assert.equal(found.source, "setting");
});

test("${workspaceFolder} in the setting is the workspace's folder", () => {
  const bin = fakeInkslop();
  const found = findServer({ ...defaults, path: "${workspaceFolder}/inkslop" }, { PATH: "" }, bin.directory, "linux");
  assert.equal(found.command, bin.file);
});

test("a bare name in the setting is looked up on PATH", () => {
  const bin = fakeInkslop("inkslop-dev");
  const found = findServer({ ...defaults, path: "inkslop-dev" }, { PATH: bin.directory }, undefined, "linux");
  assert.equal(found.command, bin.file);
});

test("a setting naming no executable is an error, not a fall back to PATH", () => {
  const onPath = fakeInkslop();
  assert.throws(
    () => findServer({ ...defaults, path: "/nonexistent/inkslop" }, { PATH: onPath.directory }, undefined, "linux"),
    ServerNotFound,
  );
});

test("a file that is not executable is not the server", () => {
  const bin = fakeInkslop();
  fs.chmodSync(bin.file, 0o644);
  assert.throws(() => findServer(defaults, { PATH: bin.directory }, undefined, "linux"), /not on PATH/);
});

test("nothing found: the error says what to do", () => {
  assert.throws(() => findServer(defaults, { PATH: "" }, undefined, "linux"), /pip install inkslop/);
});
