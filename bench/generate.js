// Generates the benchmark inputs (deterministic): a noisy guest console log and a dense QEMU trace.
//   node bench/generate.js noisy|dense OUT [MiB]
const fs = require('node:fs');

/** Small deterministic PRNG (mulberry32) so every run measures the same bytes. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex = (n) => `0x${n.toString(16)}`;

// Kernel noise of the kinds a guest console shows between hotplug events.
const NOISE = [
  (r) => `EXT4-fs (vda1): mounted filesystem ${Math.floor(r() * 1e8).toString(16)}-7c1a r/w with ordered data mode. Quota mode: none.`,
  (r) => `audit: type=1400 audit(1732855${Math.floor(r() * 1e6)}.123:${Math.floor(r() * 1000)}): apparmor="STATUS" operation="profile_load" profile="unconfined" name="snap-update-ns.lxd" pid=${Math.floor(r() * 9000)} comm="apparmor_parser"`,
  (r) => `systemd[1]: Started session-${Math.floor(r() * 500)}.scope - Session ${Math.floor(r() * 500)} of User root.`,
  (r) => `IPv6: ADDRCONF(NETDEV_CHANGE): enp1s0: link becomes ready`,
  (r) => `ata1.00: failed command: READ DMA EXT`,
  (r) => `usb 1-${1 + Math.floor(r() * 4)}: new high-speed USB device number ${Math.floor(r() * 20)} using xhci_hcd`,
  (r) => `virtio_blk virtio1: [vda] ${Math.floor(r() * 1e8)} 512-byte logical blocks (21.5 GB/20.0 GiB)`,
  (r) => `virtio_net virtio0 enp1s0: renamed from eth0`,
  (r) => `pci 0000:00:0${Math.floor(r() * 9)}.0: [1af4:1041] type 00 class 0x020000 conventional PCI endpoint`,
  (r) => `Fallback order for Node ${Math.floor(r() * 2)}: 0 1`,
  (r) => `Memory: ${Math.floor(r() * 4e6)}K/4194304K available (22528K kernel code, 4321K rwdata)`,
  (r) => `random: crng init done`,
  (r) => `NET: Registered PF_INET6 protocol family`,
  (r) => `kauditd_printk_skb: ${Math.floor(r() * 40)} callbacks suppressed`,
  (r) => `perf: interrupt took too long (${2500 + Math.floor(r() * 3000)} > ${2500 + Math.floor(r() * 3000)}), lowering kernel.perf_event_max_sample_rate to ${Math.floor(r() * 80000)}`,
  (r) => `sd 0:0:0:0: [sda] Write cache: enabled, read cache: enabled, doesn't support DPO or FUA`,
  (r) => `nfs: server 192.0.2.${Math.floor(r() * 250)} not responding, still trying`,
  (r) => `e1000e 0000:00:19.0 eth0: NIC Link is Up 1000 Mbps Full Duplex, Flow Control: Rx/Tx`,
];

function stamp(t) {
  const s = Math.floor(t);
  return `[${String(s).padStart(5, ' ')}.${String(Math.floor((t - s) * 1e6)).padStart(6, '0')}] `;
}

/** ≈2% of lines about virtio-mem / TDX: plug and unplug cycles with occasional accept failures. */
function* subjectLines(r) {
  const base = 0x100000000;
  for (;;) {
    const mb = Math.floor(r() * 16);
    const start = base + mb * 0x8000000;
    yield `virtio_mem virtio5: plugged size: ${hex(mb * 0x8000000)}`;
    yield `virtio_mem virtio5: requested size: ${hex((mb + 1) * 0x8000000)}`;
    yield `virtio_mem virtio5: plugging memory: ${hex(start)} - ${hex(start + 0x7ffffff)}`;
    yield `virtio_mem virtio5: adding memory: ${hex(start)} - ${hex(start + 0x7ffffff)}`;
    if (r() < 0.2) yield `tdx: Failed to accept memory [${hex(start)}, ${hex(start + 0x8000000)})`;
    yield `virtio_mem virtio5: unplugging memory: ${hex(start + 0x7e00000)} - ${hex(start + 0x7ffffff)}`;
  }
}

function* noisy(r) {
  let t = 1;
  const subjects = subjectLines(r);
  for (;;) {
    t += r() * 0.01;
    const text = r() < 0.02 ? subjects.next().value : NOISE[Math.floor(r() * NOISE.length)](r);
    yield `${stamp(t)}${text}\n`;
  }
}

/** Every line a virtio-mem or conversion trace event, QEMU 9.2-era `TID@sec.usec:` prefix. */
function* dense(r) {
  let t = 1774365700;
  let addr = 0x100000000;
  for (;;) {
    t += r() * 0.0001;
    const p = `4321@${t.toFixed(6)}:`;
    const v = `98765@${t.toFixed(6)}:`;
    const pick = r();
    if (pick < 0.25) {
      yield `${p}virtio_mem_plug_request addr=${hex(addr)} nb_blocks=64\n${p}virtio_mem_send_response type=0\n`;
    } else if (pick < 0.4) {
      yield `${p}virtio_mem_unplug_request addr=${hex(addr)} nb_blocks=1\n${p}ram_block_discard_range mem0@0x7f5a50000000 + 0x200000: madvise: 1 fallocate: 0 ret: 0\n${p}virtio_mem_send_response type=0\n`;
    } else {
      yield `${v}kvm_hc_map_gpa_range gpa ${hex(addr)} size 0x200000 attributes 0x10 flags 0x1\n${v}kvm_convert_memory start ${hex(addr)} size 0x200000 shared_to_private\n`;
    }
    addr = 0x100000000 + Math.floor(r() * 2048) * 0x200000;
  }
}

function generate(kind, out, mib) {
  const r = rng(kind === 'noisy' ? 1 : 2);
  const lines = kind === 'noisy' ? noisy(r) : dense(r);
  const target = mib * 1024 * 1024;
  const fd = fs.openSync(out, 'w');
  let written = 0;
  let parts = [];
  let size = 0;
  while (written + size < target) {
    const line = lines.next().value;
    parts.push(line);
    size += line.length;
    if (size >= 1 << 20) {
      fs.writeSync(fd, parts.join(''));
      written += size;
      parts = [];
      size = 0;
    }
  }
  fs.writeSync(fd, parts.join(''));
  fs.closeSync(fd);
}

module.exports = { generate };

if (require.main === module) {
  const [kind, out, mib = '200'] = process.argv.slice(2);
  if ((kind !== 'noisy' && kind !== 'dense') || !out) {
    console.error('usage: node bench/generate.js noisy|dense OUT [MiB]');
    process.exit(2);
  }
  generate(kind, out, Number(mib));
}
