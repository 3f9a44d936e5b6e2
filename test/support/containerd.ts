// containerd for CRI tests: installs containerd, runc, busybox-static and the CNI plugins from Debian when missing,
// starts containerd as root with its socket, root and state in a temporary directory (the CRI plugin configured for
// machines without CAP_SYS_RESOURCE: restrict_oom_score_adj), a CNI bridge of the test's own on a private /24, and
// offline-built images imported with `ctr -n k8s.io images import`: a pause image and skiff-test/busybox:1 (one layer
// of busybox-static). Stopping removes every sandbox, ends only the containerd (and its shims) it started, deletes
// its bridge and its directory. Where containerd cannot run, CRI tests skip with a reason (fail under REQUIRE_CRI=1).
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CriClient } from '../../src/kubelet/index.js';

export const BUSYBOX_IMAGE = 'docker.io/skiff-test/busybox:1';
export const PAUSE_IMAGE = 'docker.io/skiff-test/pause:1';
const CNI_BIN = '/usr/lib/cni';
const PACKAGES: Record<string, string> = { containerd: 'containerd', runc: 'runc', busybox: 'busybox-static', [`${CNI_BIN}/bridge`]: 'containernetworking-plugins' };

export const requireCri = () => process.env.REQUIRE_CRI === '1';

const which = (cmd: string) => (cmd.startsWith('/') ? existsSync(cmd) : spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0);

let installed = false;
/** Installs the missing packages once (root only); returns what is still missing. */
function ensurePackages(): string[] {
  const missing = () => Object.keys(PACKAGES).filter((cmd) => !which(cmd));
  if (missing().length > 0 && !installed && process.getuid?.() === 0) {
    installed = true;
    const pkgs = missing().map((cmd) => PACKAGES[cmd]!);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'ignore', env, timeout: 300_000 });
    spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...pkgs], { stdio: 'ignore', env, timeout: 600_000 });
  }
  return missing().map((cmd) => PACKAGES[cmd]!);
}

/** Why CRI tests must skip here, or undefined when they can run (or must, under REQUIRE_CRI=1). */
export function containerdSkipReason(): string | undefined {
  if (requireCri()) return undefined;
  if (process.getuid?.() !== 0) return 'containerd needs root (set REQUIRE_CRI=1 to fail instead of skipping)';
  if (!readFileSync('/proc/filesystems', 'utf8').includes('overlay')) return 'no overlayfs for containerd (REQUIRE_CRI=1 fails instead)';
  const missing = ensurePackages();
  if (missing.length > 0) return `missing ${missing.join(', ')} and could not install them (REQUIRE_CRI=1 fails instead)`;
  return undefined;
}

export interface Containerd {
  /** `unix:///…/containerd.sock` */
  endpoint: string;
  dir: string;
  pid: number;
  /** The CNI bridge of this containerd, and its subnet (a.b.c.0/24). */
  bridge: string;
  subnet: string;
  /** Runs `ctr -n k8s.io …` against this containerd. */
  ctr(args: string[]): string;
  stop(): Promise<void>;
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** An OCI layout tar of one image whose single layer holds busybox-static, its applets and /etc/passwd. */
function buildImage(work: string, name: string, cmd: string[]): string {
  const root = join(work, 'rootfs');
  if (!existsSync(root)) {
    for (const d of ['bin', 'etc', 'tmp', 'proc', 'sys', 'dev', 'var/www']) mkdirSync(join(root, d), { recursive: true });
    chmodSync(join(root, 'tmp'), 0o1777);
    writeFileSync(join(root, 'bin/busybox'), readFileSync(execFileSync('sh', ['-c', 'command -v busybox']).toString().trim()), { mode: 0o755 });
    const applets = execFileSync(join(root, 'bin/busybox'), ['--list']).toString().split('\n').filter((a) => a && a !== 'busybox');
    for (const a of applets) symlinkSync('busybox', join(root, 'bin', a));
    writeFileSync(join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n');
    writeFileSync(join(root, 'etc/group'), 'root:x:0:\nnogroup:x:65534:\n');
    writeFileSync(join(root, 'var/www/index.html'), 'hello from skiff-test/busybox\n');
    execFileSync('tar', ['--sort=name', '--owner=0', '--group=0', '--numeric-owner', '--mtime=@0', '-C', root, '-cf', join(work, 'layer.tar'), '.']);
  }
  const layer = readFileSync(join(work, 'layer.tar'));
  const layout = join(work, name.replace(/[^a-z0-9]/g, '_'));
  const blobs = join(layout, 'blobs', 'sha256');
  mkdirSync(blobs, { recursive: true });
  const blob = (data: Buffer) => {
    const digest = sha256(data);
    writeFileSync(join(blobs, digest), data);
    return { digest: `sha256:${digest}`, size: data.length };
  };
  const layerDesc = blob(layer);
  const config = blob(Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Env: ['PATH=/bin'], Cmd: cmd, WorkingDir: '/' }, rootfs: { type: 'layers', diff_ids: [layerDesc.digest] } })));
  const manifest = blob(Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config }, layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', ...layerDesc }] })));
  const tag = name.slice(name.lastIndexOf(':') + 1);
  writeFileSync(join(layout, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  const annotations = { 'io.containerd.image.name': name, 'org.opencontainers.image.ref.name': tag };
  writeFileSync(join(layout, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...manifest, platform: { architecture: 'amd64', os: 'linux' }, annotations }] }));
  const file = `${layout}.tar`;
  execFileSync('tar', ['-C', layout, '-cf', file, 'oci-layout', 'index.json', 'blobs']);
  return file;
}

function config(dir: string, socket: string, cniConf: string): string {
  let text = execFileSync('containerd', ['config', 'default']).toString();
  const set = (re: RegExp, value: string) => {
    if (!re.test(text)) throw new Error(`containerd config default has no ${String(re)}`);
    text = text.replace(re, (_m, key: string) => `${key}${value}`);
  };
  set(/^(root = ).*$/m, JSON.stringify(join(dir, 'root')));
  set(/^(state = ).*$/m, JSON.stringify(join(dir, 'state')));
  set(/(\[grpc\]\s*\n\s*address = ).*$/m, JSON.stringify(socket));
  set(/^(\s*bin_dir = ).*$/m, JSON.stringify(CNI_BIN));
  set(/^(\s*conf_dir = ).*$/m, JSON.stringify(cniConf));
  set(/^(\s*sandbox_image = ).*$/m, JSON.stringify(PAUSE_IMAGE));
  set(/^(\s*restrict_oom_score_adj = ).*$/m, 'true');
  set(/(\[plugins\."io\.containerd\.internal\.v1\.opt"\]\s*\n\s*path = ).*$/m, JSON.stringify(join(dir, 'opt')));
  const file = join(dir, 'config.toml');
  writeFileSync(file, text);
  return file;
}

/** The processes whose command line names `needle` (this containerd's shims). */
function processesNaming(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').includes(needle)) pids.push(Number(entry));
    } catch {
      // Gone.
    }
  }
  return pids;
}

async function exited(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return true;
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Starts a containerd of the test's own, with the test images imported and a CNI bridge configured. */
export async function startContainerd(): Promise<Containerd> {
  const missing = ensurePackages();
  if (missing.length > 0) throw new Error(`CRI tests need ${missing.join(', ')}`);
  const dir = mkdtempSync(join(tmpdir(), 'skiff-containerd-'));
  const socket = join(dir, 'containerd.sock');
  const cniConf = join(dir, 'cni');
  const tag = (process.pid % 10_000).toString(36);
  const bridge = `skcri${tag}`;
  const subnet = `10.213.${process.pid % 250}.0/24`;
  mkdirSync(cniConf);
  writeFileSync(
    join(cniConf, '10-skiff.conflist'),
    JSON.stringify({
      cniVersion: '0.4.0',
      name: `skiff-${tag}`,
      plugins: [
        { type: 'bridge', bridge, isGateway: true, ipMasq: false, ipam: { type: 'host-local', ranges: [[{ subnet }]], dataDir: join(dir, 'ipam') } },
        { type: 'loopback' },
      ],
    }),
  );
  const file = config(dir, socket, cniConf);
  const log = openSync(join(dir, 'containerd.log'), 'a');
  const child = spawn('containerd', ['--config', file], { stdio: ['ignore', log, log] });
  const pid = child.pid!;
  const ctr = (args: string[]) => execFileSync('ctr', ['--address', socket, '-n', 'k8s.io', ...args], { timeout: 60_000 }).toString();
  const endpoint = `unix://${socket}`;
  const stop = async () => {
    const client = new CriClient(endpoint, 30_000);
    try {
      const { items } = await client.call<{ items: { id: string }[] }>('ListPodSandbox', {});
      for (const s of items) await client.call('RemovePodSandbox', { podSandboxId: s.id }).catch(() => undefined);
    } catch {
      // containerd is not answering: its shims are ended below.
    } finally {
      client.close();
    }
    child.kill('SIGTERM');
    if (!(await exited(child, 10_000))) child.kill('SIGKILL');
    await exited(child, 5_000);
    for (const shim of processesNaming(socket)) {
      try {
        process.kill(shim, 'SIGKILL');
      } catch {
        // Gone.
      }
    }
    spawnSync('ip', ['link', 'del', bridge], { stdio: 'ignore' });
    const mounts = readFileSync('/proc/mounts', 'utf8').split('\n').map((l) => l.split(' ')[1] ?? '').filter((m) => m.startsWith(dir + '/')).reverse();
    for (const m of mounts) spawnSync('umount', ['-l', m], { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (existsSync(socket) && statSync(socket).isSocket() && spawnSync('ctr', ['--address', socket, 'version'], { stdio: 'ignore', timeout: 5_000 }).status === 0) break;
      if (child.exitCode !== null) throw new Error(`containerd exited: ${readFileSync(join(dir, 'containerd.log'), 'utf8').slice(-2000)}`);
      if (Date.now() > deadline) throw new Error('containerd did not answer within 30 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    const work = join(dir, 'images');
    mkdirSync(work);
    ctr(['images', 'import', buildImage(work, PAUSE_IMAGE, ['sleep', '2147483647'])]);
    ctr(['images', 'import', buildImage(work, BUSYBOX_IMAGE, ['sh', '-c', "trap 'exit 0' TERM; sleep 2147483647 & wait"])]);
    rmSync(work, { recursive: true, force: true });
  } catch (err) {
    await stop();
    throw err;
  }
  return { endpoint, dir, pid, bridge, subnet, ctr, stop };
}

/** Whether `ip route get <ip>` leaves through `bridge` (the safety rule before sending anything to a pod IP). */
export function routesThrough(ip: string, bridge: string): boolean {
  const out = spawnSync('ip', ['route', 'get', ip]).stdout?.toString() ?? '';
  return new RegExp(`\\bdev ${bridge}\\b`).test(out);
}
