// Shared helpers of anklume's own tests. Never import this from a src/ file
// of a published package (README.md).
export { cleanupPrefix } from './cleanup.js'
export {
  asyncReply,
  type FakeIncusd,
  failure,
  fakeIncusd,
  type Handler,
  operation,
  reply,
  sync,
} from './fake-incusd.js'
export { CORPUS_DIR, WORKSTATION_DIR } from './fixtures.js'
export { type HttpsRemote, setupHttpsRemote, type TestCert } from './https-remote.js'
export {
  canConnect,
  canPing,
  createBridge,
  createProject,
  deleteInstance,
  deleteNetwork,
  deleteProject,
  exec,
  launch,
  waitForIp,
} from './incus-objects.js'
export { type RawResponse, raw, rawWait, socketPath } from './incus-raw.js'
export { domain, globalSettings, infra, machine, sampleInfra } from './infra-builders.js'
export { type DomainSpec, type InfraSpec, makeInfra, type PolicySpec, policy } from './infra-spec.js'
export { type NftRun, nftCheck, nftHost, nftLoadAndList, nftLoadAndListRuleset } from './nft.js'
export { newRunPrefix, runPrefix } from './prefix.js'
export { freeBaseSubnet, usedBaseSubnets } from './subnet.js'
export {
  assertNoNat,
  emptyInfraYaml,
  loadInfra,
  TEST_IMAGE,
  type TestInfra,
  type TestInfraDriver,
  type TestInfraSpec,
  testInfra,
  testInfraYaml,
  useTestInfra,
  withAppliedInfra,
  withTestInfra,
} from './test-infra.js'
