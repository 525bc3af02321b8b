module.exports = { ...require('../../../jest.preset.js'), displayName: 'ingest-feature', rootDir: __dirname };
