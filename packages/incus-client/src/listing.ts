/**
 * Listing with `?recursion=1`, in one project or across all of them. Across
 * projects it uses `?all-projects=true` when the server has the type's
 * `*_all_projects` extension, and otherwise lists project by project
 * (skipping projects that share the default project's objects of that type),
 * so callers get the same answer from old and new servers: full objects,
 * each with its `project`.
 */
import type { Core } from './core.js'
import type { ListOptions } from './types/common.js'
import type { Project } from './types/project.js'

export interface ProjectScope {
  /** API extension that enables `?all-projects=true` for this type, e.g. `instance_all_projects`. */
  extension: string
  /** Project feature that gives a project its own objects of this type, e.g. `features.profiles`. */
  feature?: string
}

export async function listObjects<T extends object>(
  core: Core,
  path: string,
  options: ListOptions = {},
  scope?: ProjectScope,
): Promise<T[]> {
  const signal = options.signal
  if (!options.allProjects || !scope) {
    return (
      await core.request<T[]>('GET', path, { query: { recursion: 1 }, project: options.project, signal })
    ).metadata
  }
  if (await core.hasExtension(scope.extension, signal)) {
    const res = await core.request<T[]>('GET', path, {
      query: { recursion: 1, 'all-projects': true },
      signal,
    })
    return res.metadata
  }
  const projects = (
    await core.request<Project[]>('GET', '/1.0/projects', { query: { recursion: 1 }, signal })
  ).metadata
  const own = projects.filter(
    (p) => p.name === 'default' || !scope.feature || p.config?.[scope.feature] === 'true',
  )
  const lists = await Promise.all(
    own.map(async (p) => {
      const res = await core.request<T[]>('GET', path, { query: { recursion: 1 }, project: p.name, signal })
      return res.metadata.map((item) =>
        'project' in item && item.project ? item : { ...item, project: p.name },
      )
    }),
  )
  return lists.flat()
}
