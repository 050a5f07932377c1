/**
 * The instances a lifecycle command (snapshot, pause/resume) acts on, and the
 * project a disposable instance goes in: the Incus names of the infra file's
 * domains (nesting prefix included) complement the labels, and its
 * `project_name` narrows `--domain`/`--all` to its own objects.
 */
import type { IncusClient } from '@anklume/incus-client'
import { type Infra, type NamingOptions, projectName } from '@anklume/schema'
import { domainProject } from './disp.js'
import { type InstanceRef, type ResolveOptions, resolveTargets, type TargetSpec } from './targets.js'

/** The infra file, when one was found, with the nesting level its names are built for. */
export interface InfraNames {
  infra: Infra
  level: number
}

const namingOf = (loaded: InfraNames): NamingOptions => ({
  nestingPrefix: loaded.infra.global.nestingPrefix,
  level: loaded.level,
})

/** `project_name` and domain → Incus project, from the infra file (nothing without one). */
export function infraScope(loaded: InfraNames | undefined): Omit<ResolveOptions, 'hostname'> {
  if (!loaded) return {}
  const naming = namingOf(loaded)
  return {
    projectName: loaded.infra.projectName,
    domainProjects: Object.fromEntries(
      loaded.infra.domains.map((d) => [d.name, projectName(d.name, naming)]),
    ),
  }
}

/** One all-projects listing, then the instances `spec` designates. */
export async function selectInstances(
  client: IncusClient,
  spec: TargetSpec,
  opts: { infra?: InfraNames | undefined; hostname?: string },
): Promise<InstanceRef[]> {
  const listing = await client.instances.list({ allProjects: true })
  return resolveTargets(listing, spec, {
    ...(opts.hostname !== undefined ? { hostname: opts.hostname } : {}),
    ...infraScope(opts.infra),
  })
}

/** The Incus project of `domain`: the project labelled with it, else the one the infra file's naming gives. */
export async function projectOfDomain(
  client: IncusClient,
  domain: string,
  loaded: InfraNames | undefined,
): Promise<string> {
  const projects = await client.projects.list()
  if (!loaded) return domainProject(projects, domain)
  return domainProject(projects, domain, {
    projectName: loaded.infra.projectName,
    fromInfra: projectName(domain, namingOf(loaded)),
  })
}
