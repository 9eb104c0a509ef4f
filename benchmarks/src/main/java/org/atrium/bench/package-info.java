/** JMH benchmarks and the load generator. */
package org.atrium.bench;
