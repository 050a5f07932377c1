#!/usr/bin/env node
/**
 * Writes dist/anklume.1 (the man page) from the built program's command tree,
 * the same commander definitions docs/cli-reference.md is generated from.
 * Runs at the end of `pnpm build` for @anklume/cli.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { commandTree } from '../dist/command-tree.js'
import { manPage } from '../dist/man.js'
import { buildProgram } from '../dist/program.js'

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
const out = fileURLToPath(new URL('../dist/anklume.1', import.meta.url))
writeFileSync(out, manPage(commandTree(buildProgram()), { version: pkg.version }))
