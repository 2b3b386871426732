// Test files named on the command line (`npx mocha test/unit/golden.test.ts`) run alone; without any, every test
// runs. A `spec` here would be added to the files named instead of replaced by them.
const named = process.argv.slice(2).some((arg) => arg.endsWith('.test.ts'));

module.exports = {
  'node-option': ['import=tsx'],
  extension: ['ts'],
  ...(named ? {} : { spec: ['test/**/*.test.ts'] }),
  timeout: 20000,
  reporter: 'spec',
};
