module.exports = { ...require('../../../jest.preset.js'), displayName: 'retry-feature', rootDir: __dirname };
