export { createTestDatabase, type TestDatabase } from './test-database';
export { tempDir } from './temp-dir';
