module.exports = { ...require('../../jest.preset.js'), displayName: 'retry-scheduler', rootDir: __dirname };
