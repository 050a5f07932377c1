import { domain, infra, machine } from '@anklume/test-utils'
import { describe, expect, it } from 'vitest'
import { renderDot } from './dot.js'
import { renderMermaid } from './mermaid.js'
import { dotToSvg } from './svg.js'

function lab() {
  return infra(
    [
      domain('admin', 0, {
        trustLevel: 'admin',
        machines: [machine('admin-ctl', 'admin', { ip: '10.100.0.10' })],
      }),
      domain('pro', 1, {
        trustLevel: 'trusted',
        machines: [
          machine('pro-dev', 'pro', { ip: '10.100.1.10' }),
          machine('pro-vm', 'pro', { type: 'vm' }),
        ],
      }),
      domain('old', 9, { enabled: false }),
    ],
    {
      projectName: 'lab',
      networkPolicies: [
        {
          description: 'ssh',
          from: 'admin',
          to: 'pro',
          ports: [22],
          protocol: 'tcp',
          bidirectional: false,
          pos: undefined,
        },
        {
          description: 'dns "q"',
          from: 'pro-dev',
          to: 'host',
          ports: [53],
          protocol: 'udp',
          bidirectional: true,
          pos: undefined,
        },
        {
          description: '',
          from: 'admin-ctl',
          to: 'pro-vm',
          ports: 'all',
          protocol: undefined,
          bidirectional: false,
          pos: undefined,
        },
      ],
    },
  )
}

describe('renderMermaid', () => {
  it('draws domains as subgraphs, machines with IPs, flows with ports', () => {
    expect(renderMermaid(lab())).toMatchInlineSnapshot(`
      "flowchart LR
        host(("host"))
        subgraph d_admin["admin · 10.100.0.0/24 · admin"]
          m_admin_ctl["admin-ctl<br/>10.100.0.10"]
        end
        subgraph d_pro["pro · 10.100.1.0/24 · trusted"]
          m_pro_dev["pro-dev<br/>10.100.1.10"]
          m_pro_vm["pro-vm (vm)<br/>dhcp"]
        end
        subgraph d_old["old · 10.100.9.0/24 (disabled)"]
        end
        d_admin -->|"tcp 22"| d_pro
        m_pro_dev <-->|"udp 53"| host
        m_admin_ctl -->|"all"| m_pro_vm
        style d_admin stroke:#ff0000,stroke-width:2px
        style d_pro stroke:#005faf,stroke-width:2px
        style d_old stroke-dasharray:5 5
      "
    `)
  })

  it('has no host node when no policy involves the host', () => {
    const i = lab()
    i.networkPolicies = []
    expect(renderMermaid(i)).not.toContain('host')
  })
})

describe('renderDot', () => {
  it('draws clusters with anchors so flows can point at a whole domain', () => {
    expect(renderDot(lab())).toMatchInlineSnapshot(`
      "digraph "lab" {
        graph [rankdir=LR, compound=true, fontname="Helvetica", label="lab", labelloc=t];
        node [shape=box, style=rounded, fontname="Helvetica"];
        edge [fontname="Helvetica", fontsize=10];
        "host" [label="host", shape=house];
        subgraph "cluster_admin" {
          label="admin
      10.100.0.0/24
      admin";
          color="#ff0000"; penwidth=2;
          "d:admin" [shape=point, style=invis, width=0, label=""];
          "m:admin-ctl" [label="admin-ctl
      10.100.0.10"];
        }
        subgraph "cluster_pro" {
          label="pro
      10.100.1.0/24
      trusted";
          color="#005faf"; penwidth=2;
          "d:pro" [shape=point, style=invis, width=0, label=""];
          "m:pro-dev" [label="pro-dev
      10.100.1.10"];
          "m:pro-vm" [label="pro-vm (vm)
      dhcp"];
        }
        subgraph "cluster_old" {
          label="old
      10.100.9.0/24 (disabled)";
          style=dashed;
          "d:old" [shape=point, style=invis, width=0, label=""];
        }
        "d:admin" -> "d:pro" [label="tcp 22", tooltip="ssh", ltail="cluster_admin", lhead="cluster_pro"];
        "m:pro-dev" -> "host" [label="udp 53", tooltip="dns \\"q\\"", dir=both];
        "m:admin-ctl" -> "m:pro-vm" [label="all"];
      }
      "
    `)
  })
})

describe('dotToSvg', () => {
  it('fails with a clear error and a --format dot hint when Graphviz is missing', async () => {
    await expect(dotToSvg('digraph {}', { command: 'anklume-no-such-dot-binary' })).rejects.toMatchObject({
      code: 'ANKLUME_GRAPHVIZ_MISSING',
      hint: expect.stringContaining('--format dot'),
    })
  })

  it('pipes the DOT text to the program and returns its output, or its error output', async () => {
    const echo = ['-e', 'process.stdin.pipe(process.stdout)']
    await expect(dotToSvg('digraph { a }', { command: process.execPath, args: echo })).resolves.toBe(
      'digraph { a }',
    )
    const fail = ['-e', 'process.stderr.write("syntax error in line 1"); process.exit(1)']
    await expect(dotToSvg('x', { command: process.execPath, args: fail })).rejects.toMatchObject({
      code: 'ANKLUME_GRAPHVIZ_FAILED',
      message: expect.stringContaining('syntax error in line 1'),
    })
  })
})
