// The main.ts `cdk8s init typescript-app` generated, with the README's cdk8s example in its chart.
import { Construct } from 'constructs';
import { App, Chart, ChartProps } from 'cdk8s';
import { MilvusCluster } from 'milvus-cluster/cdk8s';

export class MyChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = { }) {
    super(scope, id, props);

    new MilvusCluster(this, 'milvus', { version: '2.6.4', messageQueue: 'pulsar', from: '2.5.8' });
  }
}

const app = new App();
new MyChart(app, 'consumer-cdk8s', { namespace: 'milvus' });
app.synth();
