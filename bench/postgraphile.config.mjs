// PostGraphile 5 as the bench runs it: the amber preset, as `-P postgraphile/presets/amber`
// gives it, except that ordering by a column no index leads with is allowed
// (PgIndexBehaviorsPlugin removes it). The hub orders the sync page by (updated_at, id) and
// proposals by (created_at, id) without an index on either; PostGraphile may now do the same,
// on the same table, rather than the bench adding indexes the hub's schema does not have.
// The preset comes from bench/.tools, where the bench installs PostGraphile.
import { createRequire } from "node:module";

const require = createRequire(new URL("./.tools/package.json", import.meta.url));
const { PostGraphileAmberPreset } = require("postgraphile/presets/amber");

export default {
  extends: [PostGraphileAmberPreset],
  disablePlugins: ["PgIndexBehaviorsPlugin"],
};
