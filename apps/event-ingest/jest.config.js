module.exports = { ...require('../../jest.preset.js'), displayName: 'event-ingest', rootDir: __dirname };
