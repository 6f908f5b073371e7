// Package moto gives tests the address of a moto server, the AWS emulator
// of the Python package moto, as a second opinion on AWS behaviour: the
// one CI starts (KCSTACK_MOTO_URL), or one this test process starts and
// stops itself, or a skip when neither is possible.
package moto
