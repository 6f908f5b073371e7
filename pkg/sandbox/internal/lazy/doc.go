// Package lazy makes the maps of a service state on first use. A state
// loaded from JSON (--state) may lack any of its maps, and a region
// appears the first time a call names it, so every service looks its
// regions up through Entry and fills in their maps with Map.
package lazy
