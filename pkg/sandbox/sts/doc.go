// Package sts emulates the AWS Security Token Service for the sandbox. It
// answers GetCallerIdentity with the sandbox's account and a fixed IAM
// user, which is all kcstack needs to learn which account it talks to.
package sts
