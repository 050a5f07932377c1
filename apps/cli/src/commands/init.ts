import { join, resolve } from 'node:path'
import type { Command } from 'commander'
import { EXIT_INVALID, EXIT_OK } from '../errors.js'

/** The starter infra.yml `anklume init` writes: small, valid, every line explained. */
export const STARTER_INFRA = `# yaml-language-server: $schema=./infra.schema.json
# infra.yml: your whole compartmentalised Incus, in one file.
#
#   anklume validate      check this file
#   anklume plan          what apply would change
#   anklume apply         make Incus match this file
#   anklume graph         draw domains, machines and allowed flows
#   anklume sync          write the Ansible inventory (inventory/, group_vars/, host_vars/)

project_name: my-infra   # names this infrastructure; used in Incus labels

global:
  # Every domain gets <base_subnet>.<subnet_id>.0/24, gateway .254, DHCP .100-.249.
  # Pick a private range your LAN does not use (10.x, 172.16-31.x, 192.168.x).
  base_subnet: "10.100"
  default_os_image: "images:debian/13"   # image of machines without os_image

domains:
  # A domain = one Incus project + one bridge (net-<name>) + one subnet.
  # Traffic between domains is dropped unless a network policy allows it.
  admin:
    description: "Administration"
    subnet_id: 0
    trust_level: admin
    ephemeral: false          # false = protected: never deleted by accident
    machines:
      admin-ctl:              # machine names are global and become instance names
        description: "Controller"
        type: lxc             # lxc (container) or vm
        ip: "10.100.0.10"     # static address (.1-.99); omit for DHCP
        roles: [base_system]  # Ansible roles, written to host_vars by anklume sync

  work:
    description: "Daily work"
    subnet_id: 1
    trust_level: trusted
    machines:
      work-dev:
        description: "Development"
        ip: "10.100.1.10"
        config:               # raw Incus instance config
          limits.cpu: "2"
          limits.memory: "4GiB"
        snapshots_schedule: "0 3 * * *"   # Incus-native scheduled snapshots
        snapshots_expiry: "14d"

  sandbox:
    description: "Throwaway experiments"
    subnet_id: 2
    trust_level: disposable
    ephemeral: true           # may be destroyed freely (flush, orphan cleanup)
    machines:
      sandbox-box:
        description: "Try things here"

# Exceptions to the isolation between domains.
network_policies:
  - description: "Admin reaches work over SSH"
    from: admin               # a domain, a machine or host
    to: work
    ports: [22]
    protocol: tcp
`

/**
 * Writes `<dir>/infra.yml`; refuses to replace an existing file (the check and
 * the write are one step). Then the JSON Schema its first line names
 * (`infra.schema.json`, generated: replaced when there).
 */
export async function writeStarter(dir: string): Promise<string> {
  const { writeFileAtomic } = await import('@anklume/host')
  const { infraJsonSchema, SCHEMA_FILE } = await import('@anklume/schema')
  const path = join(resolve(dir), 'infra.yml')
  await writeFileAtomic(path, STARTER_INFRA, { exclusive: true })
  await writeFileAtomic(join(resolve(dir), SCHEMA_FILE), `${JSON.stringify(infraJsonSchema(), null, 2)}\n`)
  return path
}

export function register(program: Command): void {
  program
    .command('init')
    .description('write a commented starter infra.yml')
    .argument('[dir]', 'directory for infra.yml', '.')
    .addHelpText(
      'after',
      `
Never overwrites an existing infra.yml.

Examples:
  anklume init
  anklume init ~/lab && cd ~/lab && anklume validate`,
    )
    .action(async (dir: string) => {
      try {
        const path = await writeStarter(dir)
        process.stdout.write(
          `wrote ${path} (and infra.schema.json beside it, for editors)\nnext: edit it, then \`anklume validate\` and \`anklume plan\`\n`,
        )
        process.exitCode = EXIT_OK
      } catch (err) {
        if ((err as { code?: string }).code !== 'EEXIST') throw err
        const path = join(resolve(dir), 'infra.yml')
        process.stderr.write(
          `error [ANKLUME_INIT_EXISTS]: ${path} already exists; nothing written\n  hint: edit it, or run anklume init in another directory\n`,
        )
        process.exitCode = EXIT_INVALID
      }
    })
}
