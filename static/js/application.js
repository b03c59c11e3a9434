// Progressive enhancement only: every page works without this file.
import { initAll } from '../vendor/govuk/govuk-frontend.min.js'
import * as MOJFrontend from '../vendor/moj/moj-frontend.min.js'

initAll()
if (MOJFrontend.initAll) {
  MOJFrontend.initAll()
}
