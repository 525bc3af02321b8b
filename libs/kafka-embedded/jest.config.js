module.exports = { ...require('../../jest.preset.js'), displayName: 'kafka-embedded', rootDir: __dirname };
