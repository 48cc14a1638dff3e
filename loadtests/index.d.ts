/** The scenarios, one bundled script (dist/<name>.js) and one profile each. */
export declare const scenarioNames: readonly ['smoke', 'black-friday', 'spike', 'soak', 'stress'];
export type ScenarioName = (typeof scenarioNames)[number];
/** Absolute path of a scenario's bundled k6 script; throws for an unknown scenario. */
export declare function scriptPath(scenario: string): string;
/** Absolute path of a scenario's load profile (JSON); throws for an unknown scenario. */
export declare function profilePath(scenario: string): string;
