// Builds QAF's front-end assets from the npm packages into build/static/ (run by `npm run build`).
//
//   build/static/css/application.css (+ .map)     compiled from frontend/application.scss
//   build/static/vendor/govuk/                     govuk-frontend.min.js (+ .map), assets/images
//   build/static/vendor/moj/                       moj-frontend.min.js (+ .map), assets/images
//   build/static/vendor/accessible-autocomplete/   accessible-autocomplete.min.js/.css (+ .maps)
//
// Every run replaces build/static entirely, so running it twice gives the same result. Django finds these
// files through STATICFILES_DIRS; the manifest storage needs the .map files that the .js/.css files name.
import { cp, mkdir, rename, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import * as sass from 'sass'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const modules = path.join(root, 'node_modules')
const out = path.join(root, 'build', 'static')
// Built beside the final directory and swapped in at the end, so a running server never sees half a build.
const staging = path.join(root, 'build', 'static.tmp')

const copies = [
  // [from (under node_modules), to (under build/static)]
  ['govuk-frontend/dist/govuk/govuk-frontend.min.js', 'vendor/govuk/govuk-frontend.min.js'],
  ['govuk-frontend/dist/govuk/govuk-frontend.min.js.map', 'vendor/govuk/govuk-frontend.min.js.map'],
  // Images only: QAF uses Arial, so GOV.UK's GDS Transport fonts are not shipped.
  ['govuk-frontend/dist/govuk/assets/images', 'vendor/govuk/assets/images'],
  ['govuk-frontend/dist/govuk/assets/manifest.json', 'vendor/govuk/assets/manifest.json'],
  ['@ministryofjustice/frontend/moj/moj-frontend.min.js', 'vendor/moj/moj-frontend.min.js'],
  ['@ministryofjustice/frontend/moj/moj-frontend.min.js.map', 'vendor/moj/moj-frontend.min.js.map'],
  ['@ministryofjustice/frontend/moj/assets', 'vendor/moj/assets'],
  ['accessible-autocomplete/dist/accessible-autocomplete.min.js', 'vendor/accessible-autocomplete/accessible-autocomplete.min.js'],
  ['accessible-autocomplete/dist/accessible-autocomplete.min.js.map', 'vendor/accessible-autocomplete/accessible-autocomplete.min.js.map'],
  ['accessible-autocomplete/dist/accessible-autocomplete.min.css', 'vendor/accessible-autocomplete/accessible-autocomplete.min.css'],
  ['accessible-autocomplete/dist/accessible-autocomplete.min.css.map', 'vendor/accessible-autocomplete/accessible-autocomplete.min.css.map']
]

// GOV.UK Frontend's own deprecation warnings (@warn) name the caller as the third stack frame: when that
// caller is inside node_modules (MOJ Frontend using a deprecated GOV.UK mixin) there is nothing for us to change.
function warnUnlessFromPackages (message, { span, stack }) {
  const caller = (stack ?? '').trim().split('\n')[2] ?? ''
  if (caller.trim().startsWith('node_modules/')) return
  const where = span ? ` (${span.url ? fileURLToPath(span.url) : ''}:${span.start.line + 1})` : ''
  console.warn(`WARNING: ${message}${where}\n${stack ?? ''}`)
}

async function compileStyles () {
  const entry = path.join(root, 'frontend', 'application.scss')
  const cssFile = path.join(staging, 'css', 'application.css')
  const result = await sass.compileAsync(entry, {
    // MOJ Frontend loads GOV.UK Frontend as "node_modules/govuk-frontend/...", so the project root is a load path.
    loadPaths: [root],
    style: 'compressed',
    sourceMap: true,
    sourceMapIncludeSources: true,
    // Deprecation notices from inside the packages are theirs to fix, not ours; ours are still shown.
    quietDeps: true,
    logger: { warn: warnUnlessFromPackages }
  })
  const map = result.sourceMap
  map.file = 'application.css'
  map.sources = map.sources.map((source) =>
    source.startsWith('file:') ? path.relative(path.dirname(cssFile), fileURLToPath(source)) : source
  )
  await mkdir(path.dirname(cssFile), { recursive: true })
  await writeFile(cssFile, `${result.css}\n/*# sourceMappingURL=application.css.map */\n`)
  await writeFile(`${cssFile}.map`, JSON.stringify(map))
}

async function copyVendor () {
  await Promise.all(
    copies.map(async ([from, to]) => {
      const target = path.join(staging, to)
      await mkdir(path.dirname(target), { recursive: true })
      await cp(path.join(modules, from), target, { recursive: true })
    })
  )
}

const started = Date.now()
await rm(staging, { recursive: true, force: true })
await Promise.all([compileStyles(), copyVendor()])
await rm(out, { recursive: true, force: true })
await rename(staging, out)
console.log(`Built front-end assets into ${path.relative(root, out)}/ in ${Date.now() - started} ms`)
