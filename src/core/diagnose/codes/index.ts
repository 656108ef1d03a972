/** Every finding code, in code order: one module each. */
import type { FindingDefinition } from './definition';
import { HPL001 } from './hpl001';
import { HPL002 } from './hpl002';
import { HPL003 } from './hpl003';
import { HPL004 } from './hpl004';
import { HPL005 } from './hpl005';
import { HPL006 } from './hpl006';
import { HPL007 } from './hpl007';
import { HPL008 } from './hpl008';
import { HPL009 } from './hpl009';
import { HPL010 } from './hpl010';
import { HPL011 } from './hpl011';
import { HPL012 } from './hpl012';
import { HPL013 } from './hpl013';
import { HPL014 } from './hpl014';
import { HPL015 } from './hpl015';
import { HPL016 } from './hpl016';
import { HPL017 } from './hpl017';
import { HPL018 } from './hpl018';
import { HPL019 } from './hpl019';
import { HPL020 } from './hpl020';

export { HPL001, HPL002, HPL003, HPL004, HPL005, HPL006, HPL007, HPL008, HPL009, HPL010, HPL011, HPL012, HPL013, HPL014, HPL015, HPL016, HPL017, HPL018, HPL019, HPL020 };

// Each definition's facts differ; the list is read through what they share.
export const DEFINITIONS: ReadonlyArray<FindingDefinition<never>> = [
  HPL001, HPL002, HPL003, HPL004, HPL005, HPL006, HPL007, HPL008, HPL009, HPL010, HPL011, HPL012, HPL013, HPL014, HPL015, HPL016, HPL017, HPL018, HPL019, HPL020,
];
