/**
 * Templates compiled ahead of time, by path from the package root
 * (`targets/ec2/templates/README.md.hbs`). Empty here: running from source,
 * templates compile when first used. The CLI bundle replaces this module
 * with every template precompiled (scripts/build.mjs), so that `afc build`
 * does not spend its start-up compiling them.
 */
export const PRECOMPILED: Record<string, TemplateSpecification> = {};
