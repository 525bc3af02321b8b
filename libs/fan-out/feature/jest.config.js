module.exports = { ...require('../../../jest.preset.js'), displayName: 'fan-out-feature', rootDir: __dirname };
