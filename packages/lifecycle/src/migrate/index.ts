export {
  convertProject,
  MIGRATE_KNOWN_SCHEMA_VERSION,
  type MigrateOptions,
  type MigrateResult,
} from './convert.js'
export { type PythonProject, readPythonProject } from './read-project.js'
export { migrateProject, renderMigrated } from './write.js'
