/** The version printed in reports; esbuild replaces the identifier with package.json's version. */
declare const HOTPLUG_LENS_VERSION: string | undefined;

export const VERSION: string = typeof HOTPLUG_LENS_VERSION === 'string' ? HOTPLUG_LENS_VERSION : '0.0.0-dev';
