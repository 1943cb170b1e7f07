//go:build !linux

package main

// preloadGL does nothing here: the early load of Mesa's libraries is for
// Linux only.
func preloadGL() {}
