// axe on every page type, in Swedish (the default language). See lib/a11y-suite.js.
import { a11ySuite } from '../lib/a11y-suite.js';

a11ySuite('sv');
